/** Rows of the fault table for Meta account, Meta insights, HubSpot search; see fault-cases.ts. */
import { describeFaultTable } from './run-fault-case.ts';

describeFaultTable('faults-sources', ['Meta account', 'Meta insights', 'HubSpot search']);
