import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { GetCampusCardReply, GetCampusCardRequest, Rpc } from '@onecard/contracts';
import { RpcHandler } from '@onecard/messaging';
import { findCard, findCardById } from './card-account';

/** Other services ask for a card's fresh state, by physical id or account number. */
@ApiExcludeController()
@Controller()
export class CardsRpcController {
  constructor(private readonly db: DataSource) {}

  @RpcHandler(Rpc.GetCampusCard)
  async card(@Payload() request: GetCampusCardRequest): Promise<GetCampusCardReply> {
    const card = request.cardId !== undefined ? await findCardById(this.db, request.cardId) : await findCard(this.db, request.cardNo as string);
    if (!card) return { found: false };
    return { found: true, cardNo: card.card_no, cardId: card.card_id ?? undefined, userCode: card.user_code, lost: card.lost, frozen: card.frozen };
  }
}
