/**
 * The algorithms an account's TSIG key may use, as the accounts service takes them from people
 * (CLI, API): core's one table (core/tsig-algorithms.ts), and a parser that refuses an unknown
 * name with an error naming the choices. What each client calls an algorithm is in tsig-settings.ts.
 */
import { displayText } from '../core/display';
import { BadTsigAlgorithmError } from '../core/errors';
import { findTsigAlgorithm, TSIG_ALGORITHM_NAMES, type TsigAlgorithm } from '../core/tsig-algorithms';

export { DEFAULT_TSIG_ALGORITHM, TSIG_ALGORITHM_NAMES, TSIG_ALGORITHMS } from '../core/tsig-algorithms';

/** What an algorithm text longer than this can only be: no name in the table is near it (and the error quotes it). */
const MAX_ALGORITHM_TEXT = 64;

/**
 * The algorithm `text` names: any case, with or without the final dot, surrounding blanks
 * ignored, and md5 also by its wire name `hmac-md5.sig-alg.reg.int`. BadTsigAlgorithmError
 * naming the choices otherwise.
 */
export function parseTsigAlgorithm(text: string): TsigAlgorithm {
  const found = text.length > MAX_ALGORITHM_TEXT ? undefined : findTsigAlgorithm(text.trim());
  if (found === undefined) {
    throw new BadTsigAlgorithmError(`unknown TSIG algorithm "${displayText(text, 40)}": one of ${TSIG_ALGORITHM_NAMES.join(', ')}`);
  }
  return found;
}
