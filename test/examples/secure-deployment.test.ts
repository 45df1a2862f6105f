import { describeExample } from '../support/examples';

describeExample('secure-deployment');
