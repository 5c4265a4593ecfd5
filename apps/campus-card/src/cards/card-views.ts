import { fenToYuan } from '../common/money';
import type { CardAccountRow } from './card-account';

/** The document's entities, field for field in its order. */

/** Card Info (获取校园卡信息): `user` holds name, code, organize.name and userType. */
export function cardInfo(card: CardAccountRow): object {
  return {
    user: { name: card.name, code: card.user_code, organize: { name: card.organize }, userType: card.user_type, timeZone: 0 },
    cardNo: card.card_no,
    cardId: card.card_id ?? '',
    bankNo: card.bank_no,
    expireDate: card.expire_date,
    cardBalance: fenToYuan(card.balance_fen),
    transBalance: fenToYuan(card.trans_balance_fen),
    lost: card.lost,
    frozen: card.frozen,
  };
}

/** 校园卡开户's answer: only cardNo is guaranteed; the document's example shows these. */
export function openedCard(card: CardAccountRow): object {
  return { user: { name: card.name, code: card.user_code }, cardNo: card.card_no, lost: card.lost, frozen: card.frozen };
}

/** 根据学工号或物理卡号查询卡信息: user (name, code), cardNo, cardId. */
export function cardIdentity(card: CardAccountRow): object {
  return { user: { name: card.name, code: card.user_code }, cardNo: card.card_no, cardId: card.card_id ?? '' };
}
