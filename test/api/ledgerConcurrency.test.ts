// The concurrency suite (test/helpers/ledgerConcurrencySuite.ts) with the default write path.
import { ledgerConcurrencySuite } from '../helpers/ledgerConcurrencySuite.js';

ledgerConcurrencySuite();
