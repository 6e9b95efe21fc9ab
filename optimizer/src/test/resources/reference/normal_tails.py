"""Reference values for StandardNormalTest: log h(z), log Phi(z), erfcx(x) at 50 significant digits (mpmath).

h(z) = phi(z) + z Phi(z) is the expected improvement of N(z, 1) over 0.
Run: python3 normal_tails.py > normal_tails.csv
"""
import mpmath as mp

mp.mp.dps = 60


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


def Phi(z):
    return mp.ncdf(z)


print("kind,x,value")
for z in ["3", "1", "0.5", "0", "-0.5", "-1", "-2", "-5", "-10", "-20", "-40", "-100", "-1000", "-1e5", "-1e9"]:
    zz = mp.mpf(z)
    print("logH,%s,%s" % (z, mp.nstr(mp.log(phi(zz) + zz * Phi(zz)), 20)))
for z in ["2", "0", "-1", "-3", "-10", "-40", "-1000"]:
    zz = mp.mpf(z)
    print("logCdf,%s,%s" % (z, mp.nstr(mp.log(Phi(zz)), 20)))
for x in ["0", "0.5", "1", "4.9", "5", "5.1", "10", "30", "100", "1e6", "-1", "-3"]:
    xx = mp.mpf(x)
    print("erfcx,%s,%s" % (x, mp.nstr(mp.exp(xx * xx) * mp.erfc(xx), 20)))
