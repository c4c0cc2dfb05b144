import { randomUUID } from 'crypto';
import https from 'https';
import net from 'net';
import { change, event as sendEvent } from '@pagerduty/pdjs';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';

/** Carries https requests over plain TCP. */
class PlainConnectionAgent extends https.Agent {
  createConnection(options: { host?: string | null; port?: number | null }) {
    return net.connect({
      host: options.host ?? '127.0.0.1',
      port: Number(options.port),
    });
  }
}

/** An incident as a V3 webhook describes it. */
export interface DemoIncident {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  urgency: 'high' | 'low';
  createdAt: number;
  assignee: string;
}

/**
 * This backend's PagerDuty endpoints, used as PagerDuty and its clients use them: signed V3
 * webhooks for incidents (what a webhook subscription sends), and the Events API v2 through
 * `@pagerduty/pdjs` for alerts and change events (what a monitoring tool or deploy script sends).
 */
export class DemoPagerDuty {
  private readonly agent?: https.Agent;
  private readonly server: string;

  constructor(
    private readonly baseUrl: string,
    private readonly webhookSecret: string,
  ) {
    const url = new URL(baseUrl);
    this.server = `${url.host}${url.pathname.replace(/\/$/, '')}`;
    // pdjs always builds an https:// URL. Against a local http backend the same requests go
    // over a plain connection instead.
    if (url.protocol === 'http:') this.agent = new PlainConnectionAgent();
  }

  async incidentEvent(
    eventType:
      | 'incident.triggered'
      | 'incident.acknowledged'
      | 'incident.resolved',
    incident: DemoIncident,
    occurredAt: number,
  ): Promise<void> {
    const status = eventType.slice('incident.'.length);
    const body = JSON.stringify({
      event: {
        id: randomUUID(),
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: new Date(occurredAt).toISOString(),
        agent: userRef(incident.assignee),
        client: null,
        data: {
          id: incident.id,
          type: 'incident',
          self: `https://api.pagerduty.com/incidents/${incident.id}`,
          html_url: `https://acme.pagerduty.com/incidents/${incident.id}`,
          number: incident.number,
          status,
          incident_key: incident.id.toLowerCase(),
          created_at: new Date(incident.createdAt).toISOString(),
          title: incident.title,
          service: {
            id: incident.serviceId,
            type: 'service_reference',
            summary: incident.serviceId,
            html_url: `https://acme.pagerduty.com/services/${incident.serviceId}`,
          },
          assignees: status === 'resolved' ? [] : [userRef(incident.assignee)],
          urgency: incident.urgency,
          priority: null,
          resolve_reason: null,
        },
      },
    });
    const signature = hmacSha256Hex(this.webhookSecret, body);
    const res = await fetch(`${this.baseUrl}/webhook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-PagerDuty-Signature': `v1=${signature}`,
      },
      body,
    });
    if (!res.ok) {
      throw new Error(
        `PagerDuty webhook was refused: ${res.status} ${await res.text()}`,
      );
    }
  }

  /** Opens or resolves an alert through the Events API v2; returns its dedup key. */
  async alert(options: {
    routingKey: string;
    action: 'trigger' | 'resolve';
    dedupKey: string;
    summary: string;
    source: string;
  }): Promise<void> {
    const res = await sendEvent({
      server: this.server,
      ...(this.agent && ({ agent: this.agent } as object)),
      data: {
        routing_key: options.routingKey,
        event_action: options.action,
        dedup_key: options.dedupKey,
        payload: {
          summary: options.summary,
          source: options.source,
          severity: 'critical',
          timestamp: new Date().toISOString(),
          custom_details: { demo: true },
        },
      },
    } as Parameters<typeof sendEvent>[0]);
    if (res.status !== 202) {
      throw new Error(
        `PagerDuty event was refused: ${res.status} ${JSON.stringify(
          res.data,
        )}`,
      );
    }
  }

  /** A change event (a deploy or a configuration change) through the Events API v2. */
  async changeEvent(options: {
    routingKey: string;
    summary: string;
    at: number;
    source: string;
  }) {
    const res = await change({
      server: this.server,
      ...(this.agent && ({ agent: this.agent } as object)),
      data: {
        routing_key: options.routingKey,
        payload: {
          summary: options.summary,
          source: options.source,
          timestamp: new Date(options.at).toISOString(),
          custom_details: { demo: true },
        },
      },
    } as Parameters<typeof change>[0]);
    if (res.status !== 202) {
      throw new Error(
        `PagerDuty change event was refused: ${res.status} ${JSON.stringify(
          res.data,
        )}`,
      );
    }
  }
}

function userRef(name: string) {
  return {
    id: `PU${name.toUpperCase()}`,
    type: 'user_reference',
    summary: name,
    html_url: `https://acme.pagerduty.com/users/PU${name.toUpperCase()}`,
  };
}
