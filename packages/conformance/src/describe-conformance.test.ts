import { describeStrategyConformance } from './describe-conformance.js';
import { LINEAR_IDENTITY_SITES } from './sample-sites.test-support.js';
import { linearIdentity } from './sample-strategies.test-support.js';

// The harness exercised green, as a strategy package uses it: a known-good strategy on every fixture and backend.
describeStrategyConformance(linearIdentity(), { sites: LINEAR_IDENTITY_SITES });
