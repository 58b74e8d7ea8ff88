-- The territorial ransomware wave's scripted injects
-- (scenarios/territorial-ransomware-wave.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows that fire at a fixed time: the town on
-- Friday morning, the departmental council on Sunday night. This file holds
-- the victims whose discovery the facilitators leave to chance, opened as
-- incidents when they are found, and the contingency if CERT-FR has not
-- heard of the campaign by 10:00 on Monday.
-- Sources and assumptions: docs/scenarios/territorial-ransomware-wave.md.

-- A victim finds its systems encrypted: its incident opens and its IT
-- team gets the alert.
local function victim_found(v)
  tocsin.open_incident{id = v.incident, title = v.title, severity = 'high', detector = v.it,
                       required = {v.it, 'csirt-region', 'cyber-17'}}
  tocsin.send{to = v.it, kind = 'alert', incident = v.incident, body = v.body}
  tocsin.log(v.log)
end

-- W1. The intercommunal water syndicate finds its servers encrypted on
-- Friday during its IT manager's hours, at a time drawn between 09:00 and
-- 16:00: the same affiliate, the same VPN appliance.
tocsin.at('2025-03-14T09:00', function()
  tocsin.after(tocsin.draw{dist = 'uniform', min = '0m', max = '7h'}, function()
    victim_found{incident = 'syndicate', it = 'syndicate-it',
                 title = 'Ransomware at the intercommunal water syndicate',
                 body = 'The billing and remote-reading servers show the same ransom note as the town.',
                 log = 'W1: the syndicate finds its servers encrypted'}
  end)
end)

-- W2. The SME was encrypted on Friday evening. Two times in five its
-- manager, working late, finds it between 17:00 and 20:00; otherwise the
-- staff find it when they arrive on Monday, between 08:00 and 09:30.
tocsin.at('2025-03-14T17:00', function()
  local found
  if tocsin.random() < 0.4 then
    found = tocsin.now() + tocsin.draw{dist = 'uniform', min = '0m', max = '3h'}
  else
    found = tocsin.time('2025-03-17T08:00') + tocsin.draw{dist = 'uniform', min = '0m', max = '1h30m'}
  end
  tocsin.at(found, function()
    victim_found{incident = 'sme', it = 'sme-it',
                 title = 'Ransomware at a precision-engineering SME',
                 body = 'The production planning and accounting PCs are encrypted.',
                 log = 'W2: the SME finds its PCs encrypted'}
  end)
end)

-- C1, contingency. The CSIRT of the region should see one campaign in its
-- reports and alert CERT-FR. Unless something about the campaign has reached
-- CERT-FR by 10:00 on Monday (its watch's start-of-week review), CERT-FR
-- spots the neighbouring CSIRT's indicators on InterCERT France, matches
-- them with the town's and the council's early warnings, and phones the
-- CSIRT of the region for its picture.
tocsin.unless('2025-03-17T10:00', 'delivered', {to = 'anssi', incident = 'campaign'}, function()
  tocsin.send{to = 'anssi', kind = 'alert', incident = 'campaign',
              body = 'InterCERT: the neighbouring CSIRT posts indicators of an affiliate hitting local authorities.'}
  local call
  call = tocsin.on('handled', {actor = 'anssi', incident = 'campaign'}, function(ev)
    tocsin.send{from = 'anssi', to = 'csirt-region', kind = 'request-assistance', incident = 'campaign',
                channel = 'phone', parent = ev,
                body = 'How many of your region\'s victims show this ransom note?'}
    tocsin.cancel(call)
  end)
  tocsin.log('C1: nothing about the campaign had reached CERT-FR by 10:00 on Monday; its watch picks it up on InterCERT')
end)
