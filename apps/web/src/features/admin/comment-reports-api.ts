/**
 * Admin: reported and hidden comments across teams (issue 16), and resolving them. Admins only on
 * the server; nothing in these answers says anything about a comment's writer.
 */
import type {
  CommentModerationResponse,
  ModeratedComment,
  ResolveCommentReportRequest,
} from '@candor/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../lib/api-client';

const moderationKey = ['admin', 'comments'] as const;

/** The list and the open-report count (the admin page's alert reads the same query). */
export function useCommentModeration() {
  return useQuery({
    queryKey: moderationKey,
    queryFn: ({ signal }) => apiRequest<CommentModerationResponse>('/admin/comments', { signal }),
    staleTime: 30_000,
  });
}

export function useResolveReport(commentId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ResolveCommentReportRequest) =>
      apiRequest<ModeratedComment>(`/admin/comments/${encodeURIComponent(commentId)}/resolve`, {
        method: 'POST',
        body: request,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: moderationKey }),
  });
}
