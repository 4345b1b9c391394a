/** Rows of the fault table for Anthropic messages, SES send, Slack chat.postMessage; see fault-cases.ts. */
import { describeFaultTable } from './run-fault-case.ts';

describeFaultTable('faults-delivery', ['Anthropic messages', 'SES send', 'Slack chat.postMessage']);
