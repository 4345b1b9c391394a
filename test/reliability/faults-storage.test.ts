/** Rows of the fault table for S3 archive put, DynamoDB batch write; see fault-cases.ts. */
import { describeFaultTable } from './run-fault-case.ts';

describeFaultTable('faults-storage', ['S3 archive put', 'DynamoDB batch write']);
