/** The document's transfer order states (余额转结订单), with its names. */
export const TRANSFER_STATUS_NAMES = {
  PAY_PENDING: '待扣费',
  RECHARGE_PENDING: '待充值',
  RECHARGING: '充值处理中',
  RECHARGED: '已完成',
  REFUND_PENDING: '待退费',
  REFUNDED: '已取消',
  REFUND_FAILED: '退费失败',
} as const;

export type TransferStatus = keyof typeof TRANSFER_STATUS_NAMES;
export const TRANSFER_STATUSES = Object.keys(TRANSFER_STATUS_NAMES) as TransferStatus[];

/** 正在处理中: what the card's calls list. */
export const OPEN_TRANSFER_STATUSES: TransferStatus[] = ['PAY_PENDING', 'RECHARGE_PENDING', 'RECHARGING', 'REFUND_PENDING'];
