import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { User } from '../kernel/org.entities';

/**
 * Which identity at an OpenID Connect provider signs in as which Candor person: the provider's
 * issuer and its `sub` (subject) claim, stable for the account there. A person is bound on their
 * first single sign-on (by verified email); from then on sign-ins match on `(issuer, subject)`
 * only, so an email address changed or claimed at the provider moves nothing. One identity per
 * person per issuer.
 */
@Entity('sso_identity')
@Unique('uq_sso_identity_issuer_user', ['issuer', 'userId'])
export class SsoIdentity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_sso_identity' })
  issuer!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_sso_identity' })
  subject!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sso_identity_user' })
  user?: User;

  @CreateDateColumn({ name: 'bound_at', type: 'timestamptz' })
  boundAt!: Date;
}
