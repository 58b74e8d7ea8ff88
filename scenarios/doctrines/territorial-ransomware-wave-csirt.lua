-- The CSIRT of the region's linking, in the csirt-aggregates doctrine
-- (scenarios/doctrines/territorial-ransomware-wave-csirt-aggregates.yaml).
--
-- A regional CSIRT sees each victim's report on its own; what makes it a
-- campaign is the second victim with the same ransom note, or a pattern that
-- 17Cyber passes on. Once it has handled reports about two different
-- victims, or anything about the campaign itself, it alerts CERT-FR (with
-- retries until acknowledged), posts to InterCERT France and briefs ANSSI's
-- regional delegate, once.

local victims = {commune = true, department = true, syndicate = true, sme = true}

return {
  ['csirt-region'] = function(msg, ctx)
    if ctx.escalated or msg.incident == nil then return end
    ctx.seen = ctx.seen or {}
    if victims[msg.incident] then ctx.seen[msg.incident] = true end
    local n = 0
    for _ in pairs(ctx.seen) do n = n + 1 end
    if n < 2 and msg.incident ~= 'campaign' then return end
    ctx.escalated = true
    ctx.send{to = 'anssi', kind = 'alert', incident = 'campaign', severity = 'high',
             retry = {after = tocsin.duration('2h'), max = 3},
             body = 'Same ransom note at several local authorities and firms of the region.'}
    ctx.send{to = 'intercert', kind = 'sitrep', incident = 'campaign', tlp = 'amber'}
    ctx.send{to = 'anssi-delegate', kind = 'info', incident = 'campaign'}
  end,
}
