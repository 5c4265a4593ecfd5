import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum OrderStatus {
  PENDING = 'PENDING',
  FINISHED = 'FINISHED',
  CANCELLED = 'CANCELLED',
}

/** 1 open a card, 22 reissue (the kiosk document's orderType). */
export type OrderType = 1 | 22;

/** A card to be printed at a kiosk for one user, redeemed with a pickup code. */
@Entity('card_order')
export class CardOrder {
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'order_type', type: 'smallint' }) orderType: OrderType;
  @Column({ name: 'project_id', type: 'text' }) projectId: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ name: 'user_name', type: 'text' }) userName: string;
  @Column({ name: 'id_card', type: 'text' }) idCard: string;
  @Column({ name: 'phone_number', type: 'text' }) phoneNumber: string;
  @Column({ name: 'company_id', type: 'text' }) companyId: string;
  @Column({ name: 'company_name', type: 'text' }) companyName: string;
  @Column({ name: 'card_face_path', type: 'text' }) cardFacePath: string;
  @Column({ name: 'card_back_path', type: 'text' }) cardBackPath: string;
  /** Card number written to the card, unique: 4-digit project number + 12-digit sequence. */
  @Column({ name: 'card_no', type: 'text' }) cardNo: string;
  @Column({ type: 'text' }) status: OrderStatus;
  /** scrypt hash of the 6-digit pickup code. */
  @Column({ name: 'pickup_code_hash', type: 'text', select: false }) pickupCodeHash: string;
  @Column({ name: 'pickup_expires_at', type: 'timestamptz' }) pickupExpiresAt: Date;
  /** The kiosk where the pickup code was redeemed; only it may personalise the card. */
  @Column({ name: 'claimed_machine_no', type: 'text', nullable: true }) claimedMachineNo: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  /** Card inner code bound at finish. */
  @Column({ type: 'text', nullable: true }) uid: string | null;
  @Column({ name: 'finished_machine_no', type: 'text', nullable: true }) finishedMachineNo: string | null;
  @Column({ name: 'issue_date', type: 'text', nullable: true }) issueDate: string | null;
  @Column({ name: 'expiry_date', type: 'text', nullable: true }) expiryDate: string | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
