import { usePooledTrend } from '../features/team-trends/api';
export const probe = usePooledTrend;
