import { usePooledTrend } from '../team-trends/api';
export const probe = usePooledTrend;
