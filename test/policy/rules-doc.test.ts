import { readFileSync } from 'fs';
import * as path from 'path';
import { renderRulesMarkdown } from '../../scripts/rules-md';

test('RULES.md documents every built-in rule as the code defines it (regenerate with `npm run docs:rules`)', () => {
  expect(readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8')).toBe(renderRulesMarkdown());
});
