/**
 * The delegation check (`acmedns check-delegation` and POST /account/check): whether a CA following
 * `_acme-challenge.<domain>` reaches an account of this server, with what to fix. Its public
 * surface: the checks, the real DNS questions, the domain parser, the CLI's report.
 */
export { accountLabelOf, checkDelegation, type DelegationInput, type Finding } from './checks';
export { nodeDelegationDns, type DelegationDns } from './dns';
export { normaliseDomain, parseCheckDomain } from './domain';
export { formatReport } from './report';
