-- The energy OIV wiper scenario's conditional injects
-- (scenarios/energy-oiv-wiper.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows that fire at a fixed time. This file holds
-- what depends on how the days go: CERT-FR's analysts' verdict some hours
-- after its first report, the operator's crisis cell declaring the attack
-- critical, CERT-FR's responders arriving on site, the forensic report the
-- final report is written from, and two contingencies.
-- Sources and assumptions: docs/scenarios/energy-oiv-wiper.md.

-- Qualification. CERT-FR's analysts take the samples and logs of the first
-- report they handle about an incident and give their verdict some hours
-- later (lognormal, median 6 h, nine times in ten within 16 h): a wiper
-- (critical) for the operator, nothing malicious for the other operator's
-- VPN logins (the false alarm).
local verdict = {wiper = 'critical', ['false-alarm'] = 'low'}
local analysing = {}
tocsin.on('handled', {actor = 'anssi'}, function(ev)
  local inc = ev.incident
  if inc == nil or verdict[inc] == nil or analysing[inc] then return end
  analysing[inc] = true
  tocsin.after(tocsin.draw{dist = 'lognormal', median = '6h', p90 = '16h'}, function()
    if verdict[inc] == 'critical' then tocsin.escalate(inc, 'critical') end
    tocsin.send{to = 'anssi', kind = 'qualification', incident = inc, severity = verdict[inc],
                body = inc == 'wiper' and 'Destructive payload, no decryption routine: a wiper.'
                                      or 'Logins from the operator\'s own new VPN concentrator: benign.'}
    tocsin.log('qualification of', inc, ':', verdict[inc])
  end)
end)

-- The operator's verdict. When its crisis cell first meets, the loss of the
-- control centre's HMIs makes the attack critical for the operator, whatever
-- CERT-FR has concluded.
local crisis
crisis = tocsin.on('meeting', {meeting = 'operator-crisis-meeting'}, function()
  tocsin.escalate('wiper', 'critical')
  tocsin.set_hours('operator-crisis', 'always')      -- the crisis cell stays on
  tocsin.cancel(crisis)
end)

-- CERT-FR's responders. Once CERT-FR has handled the operator's request for
-- assistance, a team travels to the operator's site (3 to 6 hours); from then
-- on the liaison is the preferred channel between them.
local deployed
deployed = tocsin.on('handled', {actor = 'anssi', kind = 'request-assistance', from = 'operator-soc'}, function()
  tocsin.cancel(deployed)
  tocsin.after(tocsin.draw{dist = 'uniform', min = '3h', max = '6h'}, function()
    tocsin.channel_up('anssi-liaison')
    tocsin.log('CERT-FR responders on site')
  end)
end)

-- The forensic report. The incident-response provider hands the operator its
-- report between 12 and 26 days after the incident notification; the
-- operator writes its NIS2 final report from it (its handling time).
local forensic
forensic = tocsin.on('sent', {from = 'operator-soc', to = 'anssi', kind = 'incident-notification'}, function()
  tocsin.cancel(forensic)
  tocsin.after(tocsin.draw{dist = 'uniform', min = '12d', max = '26d'}, function()
    tocsin.send{to = 'operator-soc', kind = 'forensic-report', incident = 'wiper', severity = 'high',
                body = 'Entry through the maintainer\'s remote-access account; wiper pushed from the provider\'s console.'}
  end)
end)

-- C1, contingency. CERT-FR should have the operator's early warning within
-- the hour or two of the SOC's alarms. Unless something about the wiper has
-- reached it by 05:00 on Wednesday (the SOC alone and overloaded, the early
-- warning lost), the transmission system operator, which lost the
-- telecontrol of the plants at 03:30 and escalates after 90 minutes without
-- an explanation, phones CERT-FR.
tocsin.unless('2025-11-12T05:00', 'delivered', {to = 'anssi', incident = 'wiper'}, function()
  tocsin.send{from = 'tso', to = 'anssi', kind = 'alert', incident = 'wiper', channel = 'phone',
              body = 'We lost the telecontrol of a producer\'s plants at 03:30; they mention a cyberattack.'}
  tocsin.log('C1: nothing had reached CERT-FR by 05:00; the TSO phones it')
end)

-- C2, contingency. Unless a C4 TECHOPS has met about the wiper by Friday
-- noon, the SGDSN, briefed by the ministry's HFDS, asks ANSSI to convene one
-- at once (the facilitator's inject: "Matignon wants a C4 today").
tocsin.unless('2025-11-14T12:00', 'meeting', {meeting = 'c4-techops', incident = 'wiper'}, function()
  tocsin.convene('c4-techops', {by = 'anssi', incident = 'wiper', severity = 'critical'})
  tocsin.log('C2: no C4 TECHOPS about the wiper by Friday noon; ANSSI convenes one at SGDSN\'s request')
end)
