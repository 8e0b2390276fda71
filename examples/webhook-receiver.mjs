import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks'; // or any Standard Webhooks library

const webhook = new Webhook(process.env.WEBHOOK_SECRET); // the same whsec_… secret imbridge has

createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    let batch;
    try {
      batch = webhook.verify(body, req.headers); // signature and timestamp (5 minutes' tolerance)
    } catch {
      return res.writeHead(401).end();
    }
    // At least once: a batch may come twice (same webhook-id); each event keeps its id.
    for (const event of batch.events) console.log(`${batch.account} ${event.type} ${event.id}`);
    res.writeHead(204).end(); // 2xx: delivered; 5xx or no answer: sent again later
  });
}).listen(Number(process.env.PORT ?? 8080));
