process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED='true';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../../functions/adapters/dynamodb/create-table.js';
import { makeDocumentClient } from '../../functions/commons/clients.js';
import { startDynamoDbLocal } from '../../functions/local/standins.js';
process.env.AWS_ACCESS_KEY_ID='x';process.env.AWS_SECRET_ACCESS_KEY='x';process.env.AWS_REGION='eu-west-2';
const d = await startDynamoDbLocal();
await createTable(new DynamoDBClient({ endpoint: d.endpoint }), 'ttt');
try {
const c = makeDocumentClient({ endpoint: d.endpoint });
let n = 0;
async function rate(name: string, conc: number, op: (i: number) => Promise<unknown>, secs = 3) {
  const until = Date.now() + secs * 1000; let done = 0; const s = Date.now();
  await Promise.all(Array.from({ length: conc }, async () => { while (Date.now() < until) { await op(n++); done++; } }));
  console.log(name, conc, Math.round(done / ((Date.now() - s) / 1000)), '/s');
}
const put = (i: number) => c.send(new PutCommand({ TableName: 'ttt', Item: { pk: `B#${i}`, sk: 'x', v: i } }));
await rate('warm put', 10, put, 3);
await rate('put', 1, put); await rate('put', 10, put);
await rate('get', 10, (i) => c.send(new GetCommand({ TableName: 'ttt', Key: { pk: `B#${i % 1000}`, sk: 'x' }, ConsistentRead: true })));
await rate('tx3', 10, (i) => c.send(new TransactWriteCommand({ TransactItems: [0,1,2].map((k) => ({ Put: { TableName: 'ttt', Item: { pk: `T#${i}#${k}`, sk: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' } })) })));
await rate('tx6 gsi', 10, (i) => c.send(new TransactWriteCommand({ TransactItems: [0,1,2,3,4,5].map((k) => ({ Put: { TableName: 'ttt', Item: { pk: `G#${i}`, sk: `x${k}`, gsi1pk: 'DEADLINES#open', gsi1sk: `${i}#${k}` } } })) })));
} finally { await d.stop(); }
