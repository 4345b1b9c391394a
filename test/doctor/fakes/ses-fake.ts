import { type LoopbackServer, startLoopbackServer } from './loopback-server.ts';

export interface SesFakeOptions {
  /** `Max24HourSend`; 200 is the sandbox quota. */
  max24HourSend: number;
  /** Verification status of each identity SES knows (`Success`, `Pending`, `Failed`). */
  identities: Record<string, string>;
  /** Answer every call with this error, as SES does for a denied IAM action. */
  failWith?: { status: number; code: string; message: string };
}

const NAMESPACE = 'http://ses.amazonaws.com/doc/2010-12-01/';

/**
 * Starts a loopback SES v1 endpoint that speaks the AWS Query protocol: form-encoded
 * `Action=…` requests, XML answers and XML `ErrorResponse` bodies.
 */
export function startSesFake(options: SesFakeOptions): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    if (options.failWith) {
      const { status, code, message } = options.failWith;

      return {
        status,
        raw: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
      };
    }
    const form = new URLSearchParams(request.body);
    const action = form.get('Action');
    if (action === 'GetSendQuota') {
      return xml(
        action,
        `<Max24HourSend>${options.max24HourSend.toFixed(1)}</Max24HourSend><SentLast24Hours>0.0</SentLast24Hours><MaxSendRate>1.0</MaxSendRate>`,
      );
    }
    if (action === 'GetIdentityVerificationAttributes') {
      const entries = [...form]
        .filter(([name]) => name.startsWith('Identities.member.'))
        .map(([, identity]) => identity)
        .filter((identity) => options.identities[identity] !== undefined)
        .map(
          (identity) =>
            `<entry><key>${identity}</key><value><VerificationStatus>${options.identities[identity]}</VerificationStatus></value></entry>`,
        );

      return xml(action, `<VerificationAttributes>${entries.join('')}</VerificationAttributes>`);
    }

    return {
      status: 400,
      raw: `<ErrorResponse><Error><Code>InvalidAction</Code><Message>${action}</Message></Error></ErrorResponse>`,
    };
  });
}

function xml(action: string, result: string) {
  return {
    raw: `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${action}Response>`,
  };
}
