export * from './severity';
export * from './policy-object';
export * from './rule';
export * from './pack';
export * from './report';
export * from './policy';
