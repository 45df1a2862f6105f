export * from './severity';
export * from './policy-object';
export * from './rule';
export * from './admission-check';
export * from './pack';
export * from './report';
export * from './policy';
