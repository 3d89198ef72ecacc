import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { User } from '../kernel/org.entities';

export type AuthTokenPurpose = 'invite' | 'reset';

/**
 * Single-use, expiring links sent by email (invitations, password resets). Only the SHA-256
 * of the token is stored: a copy of the database cannot be used to take over an account.
 */
@Entity('auth_token')
@Unique('uq_auth_token_hash', ['tokenHash'])
export class AuthToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_auth_token' })
  id!: string;

  @Index('ix_auth_token_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_token_user' })
  user?: User;

  @Column({ type: 'text' })
  purpose!: AuthTokenPurpose;

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
