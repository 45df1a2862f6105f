import { describeExample } from '../support/examples';

describeExample('admission');
