/** RFC 2136 UPDATE: the handler the DNS handler hands opcode 5 to, and what it is built from. */
export { createUpdateHandler, type UpdateDeps, type UpdateHandler } from './handle';
export { updateServfail } from './unanswered';
