/** What the accounts and audit commands share: the accounts' actions, their output, audit times. */
export { runAccounts, type AccountsAction, type AccountsArgs } from './actions';
export { parseTimeArg } from './audit-time';
export { AUDIT_HEADER, auditJson, auditRow } from './format';
