import { hmacSha256Hex, safeEqual } from '@onecard/platform';
import { formatYuan } from '../common/money';

/** The payment system's notification as signed: the exact strings received. */
export interface PaymentNotification {
  id: string;
  amount: string;
  payTime: string;
  status: string;
}

/** sign = lowercase hex HMAC-SHA256(PAYMENT_SECRET, `id|amount|payTime|status`). */
export function notificationSign(secret: string, n: PaymentNotification): string {
  return hmacSha256Hex(secret, `${n.id}|${n.amount}|${n.payTime}|${n.status}`);
}

export function notificationSignatureValid(secret: string, n: PaymentNotification, sign: string): boolean {
  return safeEqual(notificationSign(secret, n), sign);
}

export interface BillSettings {
  secret: string;
  sysid: string;
  subsysid: string;
  feeItemId: string;
  returnUrl: string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/**
 * postData for the payment system, in the document's shape: `data` the bill (billinfo XML)
 * form-encoded, `sign` lowercase hex HMAC-SHA256(PAYMENT_SECRET, the XML text), and the campus's
 * `subsysid` / `sysid`. The cardholder's browser posts these fields to postUrl.
 */
export function billPostData(settings: BillSettings, orderId: string, cardNo: string, amountFen: number | string): Record<string, string> {
  const bill =
    `<?xml version="1.0" encoding="UTF-8"?>\n<billinfo><version>1.0.0.4</version><billno>${xml(orderId)}</billno>` +
    `<orderinfono>${xml(cardNo)}</orderinfono><orderinfoname></orderinfoname><returnURL>${xml(settings.returnUrl)}</returnURL>` +
    `<billdtl><feeitemid>${xml(settings.feeItemId)}</feeitemid><feeord>1</feeord><amt>${formatYuan(amountFen)}</amt></billdtl></billinfo>`;
  return {
    data: new URLSearchParams({ data: bill }).toString().slice('data='.length),
    sign: hmacSha256Hex(settings.secret, bill),
    subsysid: settings.subsysid,
    sysid: settings.sysid,
  };
}
