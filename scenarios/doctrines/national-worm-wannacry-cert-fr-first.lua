-- Lua handler of the cert-fr-first doctrine (national-worm-wannacry-cert-fr-first.yaml).
--
-- CERT-FR's thresholds, which YAML rules cannot count. An organisation is
-- one of the scripted victims' incidents (org-NN) or, for the campaign
-- incident, the actor that reported it. Once the duty desk knows of the
-- campaign and has handled reports from:
-- - three organisations: it convenes the technical C4 and shares with the
--   CSIRTs Network; its analysts take a sample, and the national alert
--   (TLP:CLEAR) goes out when their analysis is done;
-- - twenty: it tells the SGDSN the crisis is national (critical).

local C4_AT, CRITICAL_AT = 3, 20
local ANALYSIS = {dist = 'lognormal', median = '2h', p90 = '4h'}   -- sample to published alert
local REPORTS = {alert = true, ['early-warning'] = true, sitrep = true, ['incident-notification'] = true}
local ALERTED = {'cert-sante', 'csirt-regional', 'ministry-health', 'ministry-interior', 'sgdsn'}

local function publish_alert()
  for _, to in ipairs(ALERTED) do
    tocsin.send{from = 'anssi', to = to, kind = 'cert-fr-alert', incident = 'worm', tlp = 'clear',
                severity = 'high',
                body = 'CERT-FR alert: ransomware worm exploiting SMBv1; patch MS17-010, filter SMB, isolate infected hosts.'}
  end
  tocsin.log('CERT-FR publishes its national alert')
end

return {
  anssi = function(msg, ctx)
    if not REPORTS[msg.kind] or msg.incident == nil then return end
    ctx.orgs = ctx.orgs or {}
    ctx.count = ctx.count or 0
    local key = msg.incident
    if key == 'worm' then key = 'worm:' .. tostring(msg.from) end
    if ctx.orgs[key] then return end
    ctx.orgs[key] = true
    ctx.count = ctx.count + 1
    if not tocsin.aware('anssi', 'worm') then return end
    if not ctx.c4 and ctx.count >= C4_AT then
      ctx.c4 = true
      ctx.send{to = 'csirt-network', kind = 'sitrep', incident = 'worm', tlp = 'green', severity = 'high'}
      tocsin.convene('c4-technique', {by = 'anssi', incident = 'worm'})
      tocsin.after(tocsin.draw(ANALYSIS), publish_alert)
      tocsin.log('CERT-FR: ' .. ctx.count .. ' organisations reported; technical C4 convened')
    end
    if not ctx.critical and ctx.count >= CRITICAL_AT then
      ctx.critical = true
      ctx.send{to = 'sgdsn', kind = 'sitrep', incident = 'worm', severity = 'critical',
               body = 'CERT-FR: twenty organisations hit across sectors; a national crisis.'}
      tocsin.log('CERT-FR: ' .. ctx.count .. ' organisations reported; the SGDSN is told it is critical')
    end
  end,
}
