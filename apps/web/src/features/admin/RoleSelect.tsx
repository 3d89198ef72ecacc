/** The member / lead choice of one person in one team, in a row of a list or table. */
import type { MembershipRole } from '@candor/contracts';
import { OptionsField } from '../../components/forms';

const ROLE_LABEL: Record<MembershipRole, string> = { member: 'Member', lead: 'Lead' };
export const ROLE_OPTIONS = (['member', 'lead'] as const).map((value) => ({
  value,
  label: ROLE_LABEL[value],
}));

export function RoleSelect({
  label,
  value,
  disabled,
  onChange,
}: {
  /** Read by assistive technology only: "Role of Ada", "Role in Platform". */
  label: string;
  value: MembershipRole;
  disabled: boolean;
  onChange: (role: MembershipRole) => void;
}) {
  return (
    <OptionsField
      label={label}
      hideLabel
      options={ROLE_OPTIONS}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as MembershipRole)}
    />
  );
}
