/**
 * Error responses of DynamoDB (JSON 1.0), S3 (REST XML) and SES v1 (query XML) in the shapes the
 * services send, and matchers that pick one operation out of the traffic through a FaultProxy.
 */
import type { Fault, RequestMatcher } from './fault-proxy.ts';

/** Builds a DynamoDB error, e.g. `dynamoError(500, 'InternalServerError', 'Internal server error')`. */
export function dynamoError(status: number, type: string, message: string): Fault {
  return {
    kind: 'status',
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

/** Builds an S3 error, e.g. `s3Error(503, 'SlowDown', 'Please reduce your request rate.')`. */
export function s3Error(status: number, code: string, message: string): Fault {
  return {
    kind: 'status',
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`,
  };
}

/** Builds an SES v1 error, e.g. `sesError(400, 'Throttling', 'Maximum sending rate exceeded.')`. */
export function sesError(status: number, code: string, message: string): Fault {
  const type = status >= 500 ? 'Receiver' : 'Sender';

  return {
    kind: 'status',
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>0f3e1c1a-5b1e-4c4e-9a5e-000000000001</RequestId></ErrorResponse>`,
  };
}

/** Matches one DynamoDB operation by its `X-Amz-Target`, e.g. `BatchWriteItem`. */
export function dynamoOperation(operation: string): RequestMatcher {
  return (request) => request.headers['x-amz-target'] === `DynamoDB_20120810.${operation}`;
}

/** Matches PutObject requests whose key contains `keyPart`, e.g. `raw/meta/act_2002/`. */
export function s3Put(keyPart: string): RequestMatcher {
  return (request) =>
    request.method === 'PUT' && decodeURIComponent(request.path).includes(keyPart);
}

/** Matches one SES v1 action, e.g. `SendRawEmail`, by its query parameter. */
export function sesAction(action: string): RequestMatcher {
  return (request) => new URLSearchParams(request.body).get('Action') === action;
}
