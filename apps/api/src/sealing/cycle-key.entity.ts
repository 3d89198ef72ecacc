import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Cycle } from '../kernel/cycle.entities';

/**
 * The data key of an open cycle, only ever stored wrapped (AES-256-GCM) by a key-encryption key
 * that is not in the database (see sealing.service.ts). Deleted at close with the signing key.
 */
@Entity('cycle_key')
export class CycleKey {
  @PrimaryColumn({ name: 'cycle_id', type: 'uuid', primaryKeyConstraintName: 'pk_cycle_key' })
  cycleId!: string;

  @ManyToOne(() => Cycle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cycle_id', foreignKeyConstraintName: 'fk_cycle_key_cycle' })
  cycle?: Cycle;

  /** Which key-encryption key wrapped it (the id in CANDOR_SEALING_KEYS). */
  @Column({ name: 'kek_id', type: 'text' })
  kekId!: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  @Column({ type: 'bytea' })
  iv!: Buffer;

  @Column({ type: 'bytea' })
  tag!: Buffer;
}
