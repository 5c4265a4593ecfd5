/** The document's recharge order states, with its names. */
export const RECHARGE_STATUS_NAMES = {
  APPLY_PENDING: '待申请',
  APPLY_FAILED: '申请失败',
  PAY_PENDING: '待支付',
  PAY_FAILED: '支付失败',
  RECHARGE_PENDING: '待充值',
  RECHARGING: '充值处理中',
  RECHARGE_FAILED: '充值失败',
  RECHARGED: '充值完成',
} as const;

export type RechargeStatus = keyof typeof RECHARGE_STATUS_NAMES;
export const RECHARGE_STATUSES = Object.keys(RECHARGE_STATUS_NAMES) as RechargeStatus[];

/** "已支付但还未完成充值": what a query without `id` lists. */
export const PAID_NOT_RECHARGED: RechargeStatus[] = ['RECHARGE_PENDING', 'RECHARGING', 'RECHARGE_FAILED'];

export const RECHARGE_FAILURES = {
  expired: '超过支付有效期未支付',
  payFailed: '支付系统报告支付失败',
  amountMismatch: (paid: string, applied: string) => `支付金额 ${paid} 元与申请金额 ${applied} 元不符`,
  paidLate: '支付完成时间晚于支付有效期',
};
