import { describeExample } from '../support/examples';

describeExample('existing-app');
