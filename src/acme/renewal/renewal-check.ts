/**
 * The periodic look at a held certificate: ask the CA's ARI (RFC 9773) when it offers it, then
 * plan. A CA that cannot be asked right now only means "plan without its advice".
 */
import type { Logger } from '../../log';
import { fetchRenewalInfo, type RenewalInfo } from './ari';
import type { CertificateInfo } from '../certificate';
import { readDirectory } from '../order/directory';
import { messageOf } from './failure';
import type { HttpGetOptions } from '../order/http-get';
import { planRenewal, type RenewalPlan } from './schedule';

/** Plans the renewal of `info`, with the CA's renewal window when it gives one. */
export async function checkRenewal(options: {
  directoryUrl: string;
  http: HttpGetOptions;
  info: CertificateInfo;
  now: () => number;
  random: () => number;
  logger: Logger;
}): Promise<RenewalPlan> {
  let ari: RenewalInfo | undefined;
  try {
    const directory = await readDirectory(options.directoryUrl, options.http);
    if (directory.renewalInfo) ari = await fetchRenewalInfo(directory.renewalInfo, options.info.leafPem, options.http, options.now());
  } catch (err) {
    options.logger.debug({ err: messageOf(err) }, 'no renewal information from the CA this time');
  }
  const plan = planRenewal(options.info, options.now(), options.random(), ari);
  if (ari && plan.reason === 'ari') {
    options.logger.info(
      { renewAt: new Date(plan.renewAt).toISOString(), explanation: ari.explanationUrl },
      'the CA suggests renewing early (ARI)',
    );
  }
  return plan;
}
