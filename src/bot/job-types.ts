/**
 * Work the bot hands to the worker after the ack. Jobs are plain JSON: they travel in an
 * asynchronous Lambda invoke payload.
 */
export type BotJob =
  | {
      kind: 'week';
      reportId: string;
      weekStart: string;
      resendEmail: boolean;
      responseUrl: string;
      channelId: string;
      userId: string;
    }
  | {
      kind: 'trend';
      query: string;
      weeks: number;
      responseUrl: string;
      channelId: string;
      userId: string;
      /** Report whose catalog is searched; chosen from the channel when absent. */
      reportId?: string;
    }
  | {
      kind: 'ask';
      question: string;
      channelId: string;
      userId: string;
      responseUrl: string;
      reportId?: string;
    }
  | {
      kind: 'thread-reply';
      /** Slack `event_id` of the mention. */
      eventKey: string;
      text: string;
      channelId: string;
      threadTs: string;
      userId: string;
    };

export type BotJobKind = BotJob['kind'];
