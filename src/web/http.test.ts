import { explain } from './http';

describe('a refused request in words', () => {
  test.each([
    [429, 'rate_limited', '42', 'Too many requests from you or for this account: try again in 42 seconds.'],
    [429, 'rate_limited', '600', 'Too many requests from you or for this account: try again in 10 minutes.'],
    [429, 'rate_limited', null, 'Too many requests from you or for this account: try again in a while.'],
    [429, undefined, 'Wed, 21 Oct 2015 07:28:00 GMT', 'Too many requests from you or for this account: try again in a while.'],
    [401, 'forbidden', null, "The username or key is wrong, or this address is not in the account's allow-list."],
    [400, 'invalid_allowfrom_cidr', null, 'The server refused the allow-list: each entry must be an address range such as 192.0.2.0/24.'],
    [503, 'db_error', null, 'The server cannot reach its database right now: try again in a minute.'],
    [500, 'db_error', null, 'The server had an internal error: try again later or tell its operator.'],
    [400, 'bad_txt', null, 'The server refused the request (bad_txt).'],
    [418, undefined, null, 'The server refused the request (HTTP 418).'],
  ])('%p %p (Retry-After %p)', (status, code, retryAfter, words) => expect(explain(status, code, retryAfter)).toBe(words));
});
