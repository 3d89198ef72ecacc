/** The signed-in person's open surveys: read by the home page and the survey page. */
import type { OpenSurveysResponse } from '@candor/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from './api-client';

export const openSurveysQueryKey = ['surveys', 'open'] as const;

export function getOpenSurveys(signal?: AbortSignal): Promise<OpenSurveysResponse> {
  return apiRequest<OpenSurveysResponse>('/surveys/open', { signal });
}

export const openSurveysQuery = queryOptions({
  queryKey: openSurveysQueryKey,
  queryFn: ({ signal }) => getOpenSurveys(signal),
  staleTime: 30_000,
});

export function useOpenSurveys() {
  return useQuery(openSurveysQuery);
}
