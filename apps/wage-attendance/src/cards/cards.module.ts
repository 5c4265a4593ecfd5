import { Module } from '@nestjs/common';
import { CardBlocks } from './card-blocks';

/** Cards made unusable by campus-card and tuya-bridge events. */
@Module({ providers: [CardBlocks] })
export class CardsModule {}
