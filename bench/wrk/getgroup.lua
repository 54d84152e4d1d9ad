-- Get Group Configuration over the preview surface, cycling through 1,000
-- of the fixture's groups spread over all of them (g0, g7919, ...). The
-- requests are formatted once, in init, so wrk spends as little as it can
-- per request. BENCH_GROUPS is the fixture's group count.
local base = "/api/v1-preview/tenants/bench/namespaces/ns/clientfailover/groups/g"
local reqs, n, i = {}, 0, 0

function init(args)
  local groups = tonumber(os.getenv("BENCH_GROUPS") or "100000")
  for k = 0, 999 do
    reqs[k + 1] = wrk.format("GET", base .. ((k * 7919) % groups))
  end
  n = #reqs
end

function request()
  i = i % n + 1
  return reqs[i]
end
