-- wrk: machine debits of 10 yen, each with its own idempotency key, spread over the bench's
-- cards (BENCH_CARDS of them, B0001 …), with the machine's key from BENCH_MACHINE_KEY.
local counter = 0
local cards = tonumber(os.getenv("BENCH_CARDS"))
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  math.randomseed(os.time() + id)
end

request = function()
  counter = counter + 1
  local card = string.format("B%04d", (counter * 7 + id) % cards + 1)
  local headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_MACHINE_KEY"),
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", id, counter, math.random(1, 1000000000)),
  }
  return wrk.format("POST", "/api/v1/cards/" .. card .. "/debits", headers,
    '{"amount": 10, "description": "bench"}')
end
