/** The typed Mailchimp Marketing API client: axios + Bottleneck per account, retries, typed errors, batches. */
export {
  accountFromAccessToken,
  accountFromApiKey,
  accountFromConfig,
  dataCenterFromApiKey,
  InvalidCredentialsError,
  type MailchimpAccount,
  type MailchimpCredentials,
} from './account.js';
export {AccountLimiters, DEFAULT_MAX_CONCURRENT, type AccountLimitersOptions} from './account-limiters.js';
export {MailchimpClient} from './client.js';
export {MailchimpError, isMailchimpError} from './mailchimp-error.js';
export {classifyFailure, type FieldError, type MailchimpErrorKind, type ProblemDocument} from './problem-classifier.js';
export {
  dataCenterForAccessToken,
  fetchOAuthMetadata,
  OAUTH_METADATA_URL,
  type OAuthMetadata,
} from './oauth-metadata.js';
export {paginate, type PaginateOptions} from './pagination.js';
export {DEFAULT_RETRY, type RetryOptions} from './retry-policy.js';
export {expandRoute, type RouteParams} from './route.js';
export {subscriberHash} from './subscriber-hash.js';
export {MailchimpTransport, type CallEvent, type TransportOptions} from './transport.js';
export {
  BatchRunner,
  type BatchOperationInput,
  type BatchOperationOutcome,
  type BatchRunnerOptions,
  type BatchRunSummary,
} from './batch/batch-runner.js';
export {readBatchResults, BatchArchiveError, type BatchOperationResult} from './batch/batch-archive.js';
export {CountingSemaphore} from './batch/counting-semaphore.js';
export type * from './types/index.js';
