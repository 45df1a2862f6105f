import { describeExample } from '../support/examples';

describeExample('web-app');
