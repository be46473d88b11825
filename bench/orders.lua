-- wrk script for the order-intake benchmark: single-line orders of one unit, each with its own order id.
--   wrk -t1 -c64 -d30s -s bench/orders.lua http://127.0.0.1:5080 -- SCENARIO PREFIX [SKUS] [RUN]
-- SCENARIO: hot (every order on SKU PREFIX-hot), spread (a random one of PREFIX-000000 .. PREFIX-<SKUS-1>), or get
-- (GET /healthz/live, the HTTP baseline). The SKUs must be seeded first (the load generator's --seed-only).
-- RUN makes order ids unique across invocations (warm-up passes and the measured one send distinct orders).
-- At the end it prints one JSON line: requests, seconds, non-2xx answers, socket errors, order answers with a rejected
-- or backordered line (stock is seeded so that there are none), and latency percentiles (ms).

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local scenario, prefix, skus, run
local counter = 0
rejected = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  scenario = args[1] or "hot"
  prefix = args[2] or "load"
  skus = tonumber(args[3] or "10000")
  run = args[4] or tostring(os.time())
  math.randomseed(os.time() * 1000 + thread_id)
end

function request()
  if scenario == "get" then
    return wrk.format("GET", "/healthz/live")
  end
  counter = counter + 1
  local sku
  if scenario == "hot" then
    sku = prefix .. "-hot"
  else
    sku = string.format("%s-%06d", prefix, math.random(0, skus - 1))
  end
  local body = string.format(
    '{"orderId":"%s-%d-%d","channel":"loadgen","lines":[{"lineId":"1","sku":"%s","quantity":1}]}',
    run, thread_id, counter, sku)
  return wrk.format("POST", "/api/v1/orders", headers, body)
end

function response(status, headers, body)
  if status == 200 and (body:find('"rejected"', 1, true) or body:find('"backordered"', 1, true)) then
    rejected = rejected + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local refused = 0
  for _, thread in ipairs(threads) do refused = refused + thread:get("rejected") end
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"non2xx":%d,"socketErrors":%d,"rejectedOrBackordered":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f,"mean":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout, refused,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
