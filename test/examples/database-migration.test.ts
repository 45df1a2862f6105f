import { describeExample } from '../support/examples';

describeExample('database-migration');
