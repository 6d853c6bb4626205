/** The delegation check's public surface: the checks, the real DNS questions, the report. */
export { accountLabelOf, checkDelegation, type Finding } from './checks';
export { nodeDelegationDns, type DelegationDns } from './dns';
export { formatReport } from './report';
