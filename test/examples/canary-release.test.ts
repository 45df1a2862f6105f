import { describeExample } from '../support/examples';

describeExample('canary-release');
