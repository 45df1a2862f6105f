import { existsSync } from 'fs';
import * as path from 'path';
import { exampleNames } from '../support/examples';

test('every example is here', () => {
  // GIVEN the example apps of examples/, THEN they are the known ones, each with its test file beside this one
  expect(exampleNames()).toEqual(['admission', 'canary-release', 'database-migration', 'existing-app', 'secure-deployment', 'web-app']);
  expect(exampleNames().filter((name) => !existsSync(path.join(__dirname, `${name}.test.ts`)))).toEqual([]);
});
