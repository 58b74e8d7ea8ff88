-- The national worm scenario's scripted injects
-- (scenarios/national-worm-wannacry.yaml names this file in `scripts:`).
--
-- The YAML holds the MSEL rows at fixed times (the named victims, the
-- regional CSIRT's stream of calls, the portal outage). This file holds the
-- flood of other victims, whose pace depends on the kill switch, the
-- escalation to critical once the count of victims is national news,
-- CERT-FR's reinforcement, the CIC's crisis mode, and two contingencies.
-- Sources and assumptions: docs/scenarios/national-worm-wannacry.md.

local KILL_SWITCH = tocsin.time('2017-05-12T17:03')   -- 15:03 UTC
local FLOOD_END = tocsin.time('2017-05-13T20:00')     -- late discoveries stop on Saturday evening
local CRITICAL_AT = 20                                 -- organisations hit: national news

-- Mean time between two organisations hit, by phase: the worm spreads
-- slowly in the first two hours, then fast until the kill switch; after it,
-- only organisations that find infections late (or hosts that could not
-- reach the sinkhole) still report.
local function mean_gap(now)
  if now < tocsin.time('2017-05-12T12:00') then return '25m' end
  if now < KILL_SWITCH then return '8m' end
  return '1h30m'
end

local hit = 0
local function victim_hit()
  hit = hit + 1
  local id = string.format('org-%02d', hit)
  local u = tocsin.random()
  if u < 0.45 then
    -- A hospital or clinic: its report goes through the national portal
    -- (held while the portal is down), to CERT Sante.
    tocsin.open_incident{id = id, title = 'Worm at a health establishment', severity = 'high',
                         detector = 'other-hospitals', required = {'cert-sante', 'anssi'}}
    tocsin.send{from = 'other-hospitals', to = 'cert-sante', kind = 'early-warning', incident = id,
                channel = 'health-portal'}
  elseif u < 0.80 then
    -- A company or an operator of vital importance: it calls CERT-FR directly.
    tocsin.open_incident{id = id, title = 'Worm at a company or operator', severity = 'high',
                         required = {'anssi'}}
    tocsin.send{to = 'anssi', kind = 'alert', incident = id,
                body = 'Ransom screens on our workstations; the infection spreads on the internal network.'}
  else
    -- A local authority or an SME: it calls its regional CSIRT.
    tocsin.open_incident{id = id, title = 'Worm at a local authority or SME', severity = 'high',
                         required = {'csirt-regional', 'anssi'}}
    tocsin.send{to = 'csirt-regional', kind = 'alert', incident = id}
  end
  if hit == CRITICAL_AT then
    tocsin.escalate('worm', 'critical')
    tocsin.log('flood: ' .. hit .. ' organisations hit; the campaign is critical')
  end
end

local function next_victim()
  local now = tocsin.now()
  local gap = tocsin.draw{dist = 'exponential', mean = mean_gap(now)}
  if now + gap > FLOOD_END then return end
  tocsin.after(gap, function()
    victim_hit()
    next_victim()
  end)
end
tocsin.at('2017-05-12T10:00', next_victim)             -- 08:00 UTC, campaign start

-- The kill switch. A researcher registers the domain the worm checks before
-- encrypting; new infections mostly stop (mean_gap above). CERT-FR and
-- CERT-EU learn of it from the researcher's public post.
tocsin.at(KILL_SWITCH, function()
  tocsin.send{to = {'anssi', 'cert-eu'}, kind = 'kill-switch', incident = 'worm', severity = 'high',
              tlp = 'clear',
              body = 'A researcher registered the domain the worm queries: it no longer encrypts where it can reach it.'}
  tocsin.log('kill switch registered; ' .. hit .. ' scripted organisations hit so far')
end)

-- CERT-FR's reinforcement: two hours after the technical C4 first meets,
-- analysts recalled from ANSSI's other divisions join the duty desk (3 -> 6).
local reinforce
reinforce = tocsin.on('meeting', {meeting = 'c4-technique'}, function()
  tocsin.after('2h', function() tocsin.set_staff('anssi', 6) end)
  tocsin.cancel(reinforce)
end)

-- The CIC's crisis mode: once it has met, it and the SGDSN work around the
-- clock for the rest of the exercise.
local cic_mode
cic_mode = tocsin.on('meeting', {meeting = 'cic-meeting'}, function()
  tocsin.set_hours('cic', 'always')
  tocsin.set_hours('sgdsn', 'always')
  tocsin.cancel(cic_mode)
end)

-- C1, contingency: late central direction. Unless the technical C4 has met
-- by 20:00 on Friday, the Prime Minister's office phones the SGDSN ("who is
-- in charge?") and the SGDSN convenes the technical C4 itself.
tocsin.unless('2017-05-12T20:00', 'meeting', {meeting = 'c4-technique'}, function()
  tocsin.send{to = 'sgdsn', kind = 'info', incident = 'worm', severity = 'critical',
              body = 'Matignon: dozens of hospitals hit and nobody has briefed us. Who is in charge?'}
  tocsin.convene('c4-technique', {by = 'sgdsn', incident = 'worm', severity = 'critical'})
  tocsin.log('C1: no technical C4 by 20:00; the Prime Minister\'s office calls the SGDSN')
end)

-- C2, contingency: the health sector's reports do not reach CERT-FR. Unless
-- CERT Sante has delivered anything about the campaign or a hospital to
-- CERT-FR by 16:30 (the portal is down since 15:30), the ministry's
-- operations centre phones CERT-FR with its own count.
tocsin.unless('2017-05-12T16:30', 'delivered', {from = 'cert-sante', to = 'anssi'}, function()
  tocsin.send{from = 'ministry-health', to = 'anssi', kind = 'sitrep', incident = 'worm',
              channel = 'phone', severity = 'high',
              body = 'CORRUSS: hospitals are reporting ransomware; the portal is down; have you got their reports?'}
  tocsin.log('C2: nothing from CERT Sante at CERT-FR by 16:30; CORRUSS phones')
end)
