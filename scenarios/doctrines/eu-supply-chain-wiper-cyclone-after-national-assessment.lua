-- Lua handlers of the cyclone-after-national-assessment doctrine
-- (eu-supply-chain-wiper-cyclone-after-national-assessment.yaml).
--
-- Each national authority, once it has handled its own victim's early
-- warning, assesses the national impact (a few hours: which operators, which
-- sectors, is it spreading) and then sends EU-CyCLONe its assessment.
-- CyCLONe's chair convenes the meeting once two Member States have sent one.

local ASSESSMENT = {dist = 'lognormal', median = '3h', p90 = '8h'}
local TWO = 2

local function assess(msg, ctx)
  if msg.kind ~= 'early-warning' or ctx.assessing then return end
  ctx.assessing = true
  local actor, incident = ctx.actor, msg.incident
  tocsin.after(tocsin.draw(ASSESSMENT), function()
    tocsin.send{from = actor, to = 'cyclone', kind = 'national-assessment', incident = incident,
                body = 'National assessment: significant impact on operators; cross-border spread.'}
  end)
end

return {
  anssi = assess,
  ['de-csirt'] = assess,
  ['dk-csirt'] = assess,
  cyclone = function(msg, ctx)
    if msg.kind ~= 'national-assessment' or ctx.convened then return end
    ctx.states = ctx.states or {}
    if not ctx.states[msg.from] then
      ctx.states[msg.from] = true
      ctx.count = (ctx.count or 0) + 1
    end
    if ctx.count >= TWO then
      ctx.convened = true
      tocsin.convene('cyclone-meeting', {incident = msg.incident})
      tocsin.log('CyCLONe: two national assessments; meeting convened')
    end
  end,
}
