tocsin.on('delivered', {to = 'b'}, function(ev) tocsin.log(ev.kind, ev.from, ev.severity) end)
tocsin.when(function() return tocsin.aware('b', 'i') end, function()
  tocsin.set_staff('a', 0); tocsin.set_hours('b', 'always'); tocsin.convene('m')
  local j = tocsin.open_incident{id = 'j', severity = 'low', required = {'a'}}
  tocsin.escalate('j', 'critical')
end)
local t = {x = 1, y = 2, [1] = 3}
for k, v in pairs(t) do tocsin.log(k, v, tostring({}), tocsin.random(), tocsin.draw{dist = 'exponential', mean = '1h'}) end
