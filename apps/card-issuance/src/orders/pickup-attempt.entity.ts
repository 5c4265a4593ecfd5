import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Wrong pickup codes per phone number, whether or not the phone has an order (so a lockout
 * says nothing about it). In Postgres so every replica counts the same attempts.
 */
@Entity('pickup_attempt')
export class PickupAttempt {
  @PrimaryColumn({ name: 'phone_number', type: 'text' }) phoneNumber: string;
  @Column({ type: 'integer' }) failures: number;
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
