export enum TransferErrorCode {
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  ORDER_SETTLED = 'ORDER_SETTLED',
}
